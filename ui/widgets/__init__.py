"""Small reusable widgets: chips and badges, the evidence strip, the photo viewer."""
