"""Page pieces shared by the player and the overviews: HTML builders and the custom widgets."""
