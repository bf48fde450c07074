"""The public wing: /embed.js, /serve, /e, /c, media, tokens and counting endpoints."""
