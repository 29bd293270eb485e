"""Projects, their categories and teams, and who may do what with them."""
