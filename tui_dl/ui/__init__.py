"""The Textual app. It never imports tensorflow or keras: runs happen in child processes."""
