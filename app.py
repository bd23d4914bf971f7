import streamlit as st

st.title("Batken Flowmap")
