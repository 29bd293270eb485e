"""Telling people what happened: in the app, and by mail."""
