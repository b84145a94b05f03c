// placeholder, removed when the module has sources
