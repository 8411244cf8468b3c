"""gunicorn settings for the Faith Motivator service.

    gunicorn -c gunicorn.conf.py 'faith_motivator.main:create_app()'

Read from the environment (the ECS task definition or the local supervisor sets them):

    FAITH_BIND             address to listen on (default 0.0.0.0:8000); or FAITH_HOST/FAITH_PORT
    FAITH_WORKERS          worker processes (default 2: two workers per task of 1 vCPU)
    FAITH_GRACEFUL_TIMEOUT seconds a worker gets to finish in-flight requests on SIGTERM (25)
    FAITH_TIMEOUT          seconds of silence before a worker is killed and replaced (30)
    FAITH_MAX_REQUESTS     requests after which a worker is replaced (100000; 0 = never)
    FAITH_CONTROL_SOCKET   path of gunicorn's control socket (disabled when unset)
    FAITH_FORWARDED_ALLOW_IPS  proxies whose X-Forwarded-For is trusted (default 127.0.0.1;
                           the VPC CIDR on AWS). Read by the app itself, which believes only
                           the hop the trusted proxy appended; uvicorn's handling is off.
    PROMETHEUS_MULTIPROC_DIR   if set, metrics are aggregated across workers (must exist)
"""

import ctypes
import glob
import os
import signal
import sys

from faith_motivator.core.logging import JsonFormatter

# A container listens on all its interfaces; the security group decides who reaches it.
_host = os.environ.get("FAITH_HOST", "0.0.0.0")  # noqa: S104
_port = os.environ.get("FAITH_PORT", "8000")
bind = os.environ.get("FAITH_BIND", f"{_host}:{_port}")

workers = int(os.environ.get("FAITH_WORKERS", "2"))
# uvicorn's worker without the Server banner and without its own X-Forwarded-For handling.
worker_class = "faith_motivator.worker.FaithWorker"
# ECS sends SIGTERM and waits stopTimeout (30 s by default) before SIGKILL; finish sooner.
graceful_timeout = int(os.environ.get("FAITH_GRACEFUL_TIMEOUT", "25"))
timeout = int(os.environ.get("FAITH_TIMEOUT", "30"))
# Longer than the ALB's 60 s idle timeout, so the balancer, not the app, closes idle
# connections (otherwise it may reuse one the app just closed and return a 502).
keepalive = int(os.environ.get("FAITH_KEEPALIVE", "75"))
# Load the app once in the master: workers share the imported code pages after fork.
# The app's lifespan (clients, pools) still runs in each worker.
preload_app = True
# Recycle workers now and then so slow growth in one can never reach the memory limit
# (0 disables it). Jitter keeps the workers from restarting at the same moment.
max_requests = int(os.environ.get("FAITH_MAX_REQUESTS", "100000"))
max_requests_jitter = max_requests // 10
# gunicorn's control socket defaults to one path per user ($HOME/.gunicorn/gunicorn.ctl):
# two colours on one host would contend for it, and nothing here uses it.
control_socket_disable = "FAITH_CONTROL_SOCKET" not in os.environ
if not control_socket_disable:
    control_socket = os.environ["FAITH_CONTROL_SOCKET"]
# The app writes its own JSON access line per request (without client addresses).
accesslog = None
errorlog = "-"
loglevel = os.environ.get("FAITH_LOG_LEVEL", "info").lower()
logconfig_dict = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"json": {"()": JsonFormatter}},
    "handlers": {
        "stdout": {
            "class": "logging.StreamHandler",
            "formatter": "json",
            "stream": "ext://sys.stdout",
        }
    },
    # The app adds its own JSON handler to the root logger when it starts.
    "root": {"level": loglevel.upper(), "handlers": []},
    "loggers": {
        "gunicorn.error": {"handlers": ["stdout"], "level": loglevel.upper(), "propagate": False},
        "gunicorn.access": {"handlers": [], "propagate": False},
    },
}


def on_starting(server):
    """Clear metric files left by an earlier run: they would be summed into this one's."""
    directory = os.environ.get("PROMETHEUS_MULTIPROC_DIR")
    if directory:
        for path in glob.glob(os.path.join(directory, "*.db")):
            os.remove(path)


def post_fork(server, worker):
    """Have the kernel stop this worker when its master dies (even by SIGKILL).

    Otherwise an orphaned worker keeps the listening socket and serves on without a master,
    and the supervisor's restarted master cannot bind its port.
    """
    if sys.platform == "linux":
        pr_set_pdeathsig = 1
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(pr_set_pdeathsig, signal.SIGTERM)
        if os.getppid() != server.pid:  # the master died before prctl took effect
            os.kill(os.getpid(), signal.SIGTERM)


def child_exit(server, worker):
    """Drop a dead worker's live gauges from the aggregated metrics."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(worker.pid)
