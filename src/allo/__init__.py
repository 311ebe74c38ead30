"""Allo: message-to-doorstep local delivery."""

__version__ = "0.1.0"
