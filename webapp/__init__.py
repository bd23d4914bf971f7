"""The Streamlit app's pages (``app.py`` at the top is the entry): everything here imports
Streamlit, which the library (``src/flowmap``) never does; the library side of the app is
:mod:`flowmap.app`."""
