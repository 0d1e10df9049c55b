"""The Qt application: thin; it renders form definitions and calls the core."""
