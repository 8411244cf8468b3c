"""The ceiling for the app benchmarks: the smallest FastAPI app, served the same way."""

from fastapi import FastAPI


def create_app() -> FastAPI:
    # Same FastAPI options as the service (no built-in OpenTelemetry instrumentation), so
    # the ratio compares the service's own work, not a framework setting.
    app = FastAPI(telemetry={"tracing": False, "metrics": False, "logs": False})

    @app.get("/")
    async def hello() -> dict[str, str]:
        return {"message": "hello"}

    return app
