"""Faith Motivator: a chatbot that answers with encouragement and public-domain scripture."""

__version__ = "0.1.0"
