"""Inventory pages. Thin: parse the request, call the services and selectors, render."""
