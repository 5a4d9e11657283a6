"""What the project's own tests share."""
