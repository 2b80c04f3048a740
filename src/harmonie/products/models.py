"""Products layer models. For now: the learned UPL suggestion model, stored so every process uses it."""

from django.db import models


class UplModel(models.Model):
    """One learned state of the UPL matcher (the newest one is used by ``upl match``).

    ``payload`` is the matcher in numpy ``.npz`` form (no pickle); ``training`` holds the labelled records it
    was learned from (gzip-compressed JSON), so a later ``upl learn`` adds to them instead of starting over.
    """

    created_at = models.DateTimeField(auto_now_add=True)
    upl_version_ref = models.CharField(
        max_length=200, blank=True, help_text="Vingerafdruk van de UPL-lijst waarmee geleerd is."
    )
    records = models.PositiveIntegerField(default=0, help_text="Aantal gebruikte gelabelde producten.")
    stats = models.JSONField(default=dict, blank=True)
    payload = models.BinaryField()
    training = models.BinaryField(default=b"")

    class Meta:
        ordering = ["-created_at", "-id"]
        get_latest_by = ["created_at", "id"]
        verbose_name = "UPL-model"
        verbose_name_plural = "UPL-modellen"

    def __str__(self):
        return f"UPL-model {self.created_at:%Y-%m-%d %H:%M} ({self.records} producten)"
