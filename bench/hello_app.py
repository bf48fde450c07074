"""The floor every ratio is measured against: a bare Flask hello world (``jsonify``).

    gunicorn --pythonpath bench hello_app:app

Nothing of Ad Manager is imported: the same gunicorn, the same Flask, no hooks.
"""

from flask import Flask, jsonify

app = Flask(__name__)


@app.get("/hello")
def hello():
    return jsonify(hello="world")
