"""Widgets of the coding workspace; none of them touches the database."""
