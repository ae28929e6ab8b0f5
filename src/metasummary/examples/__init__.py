"""Built-in example reviews, shipped as data files inside the package."""
