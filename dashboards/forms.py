"""Nothing here yet: targets and bulletins arrive with their issue."""
