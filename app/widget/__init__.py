"""The web widget: `GET /widget.js`, a dependency-free script that asks NPS, CSAT or CES."""
