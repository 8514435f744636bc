"""relboard: a keyboard-driven terminal board for customer relationships in running projects."""

__version__ = "0.1.0"
