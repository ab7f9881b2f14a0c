"""Package data: the bundled volume of white papers."""
