"""The supervisor's desk: the queue of the team's work (review_page), the read-only review
screen with comments and decisions (review_screen), the decision dialogs and printing."""
