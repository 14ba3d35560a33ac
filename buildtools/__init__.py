"""Helpers for build.py: each module does one step of building the static site."""
