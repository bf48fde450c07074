"""The staff screens, driven through the Flask test client."""
