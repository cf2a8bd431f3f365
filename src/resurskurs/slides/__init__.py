"""Workshop decks: PowerPoint slides for the resource team's group sessions, generated from a module."""
