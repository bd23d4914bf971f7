"""The Streamlit app's library side (no streamlit import here): views, caches, the upload worker."""
