"""Serving the player: Voilà with preheated kernels, the project's own template, and local films."""
