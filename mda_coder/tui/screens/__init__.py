"""Full screens: the coding workspace and the help screen."""
