"""A whole district on JupyterHub: user servers running this app's Voilà, and the grader as a hub service.

User servers hold no gradebook credentials: everything shared (hand-ins, who the person is, a
principal's units) goes through the `resurskurs-grader` service, which takes the person from the
hub token. See deploy/README.md.
"""
