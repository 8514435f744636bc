"""Behaviour shared by screens: the verbs of the key language (issue triage, expectation
moves), mixed into the screens that show those records. It lives with the screens because it
opens dialogs and forms; widgets only take data in and post messages out."""
