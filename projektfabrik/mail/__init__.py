"""Mail: written to an outbox table in the same transaction, delivered over SMTP with retries."""
