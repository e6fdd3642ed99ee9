"""The progress page: the signed-in student's own review history, forecast and mastery."""
