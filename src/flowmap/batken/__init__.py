"""The Batken preset: the article, the model, the build, the checks, the data set and its maps."""
