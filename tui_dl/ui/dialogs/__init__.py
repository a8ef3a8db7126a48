"""Modal screens over another screen: the file picker and the help box."""
