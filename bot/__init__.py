"""CCSN Hub: entry point, settings, app factory, HTTP server and the Slack client edge."""
