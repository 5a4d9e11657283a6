"""Webhook subscriptions, event payloads, signing and delivery with retries (R8)."""
