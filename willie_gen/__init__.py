"""A literate video generation stack trained on Steamboat Willie."""
__version__ = "0.0.1"
