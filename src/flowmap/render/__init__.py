"""Drawing: the folium flow layer, the HTML page, images and the assets they inline."""
