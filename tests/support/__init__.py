"""Helpers shared by the tests: builders for real files of every format mda-coder reads."""
