"""The public website (issue 23): a static, accessible site built from the same numbers as the app.

:mod:`indicators.publish.content` decides what may be public and gathers it (verdicts, wording, Steckbrief and
suppression are the app's own: nothing is computed twice); :mod:`indicators.publish.site` renders it with Jinja2
(autoescaping on) into files and writes them with a manifest of hashes, so that a build says what changed since the
last publication. No Streamlit here.
"""
