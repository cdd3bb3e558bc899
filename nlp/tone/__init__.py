"""News tone beside the model: the direction of quantities (`quantities`)."""
