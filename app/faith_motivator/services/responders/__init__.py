"""Responders: what writes the reply to a (non-crisis) message."""
