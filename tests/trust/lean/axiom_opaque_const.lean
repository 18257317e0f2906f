opaque magic : False
