map
