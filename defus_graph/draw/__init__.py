"""How the network is drawn: colours, positions, focused views, the vis-network page, pictures."""
