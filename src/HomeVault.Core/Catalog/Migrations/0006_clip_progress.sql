-- What a clip being written needs after a crash for its catalog end to match what salvage recovers. Only whole
-- 64 KiB age chunks survive a crash, and a fragment's tail may sit in the chunk held back from the file, so
-- before any ciphertext reaches the file the recorder records where each fragment not yet known durable ends:
-- pending_fragments is 'PLAINTEXT_END:END_MS' pairs joined by ';' (plaintext offsets after the fragment, media
-- ends in Unix epoch milliseconds), beyond the fsynced plaintext_bytes whose end is end_ms. final_plaintext is
-- set just before the final chunk is written: a file of exactly that complete length was finished. Both are
-- cleared when the clip is sealed. boot_id is the kernel's boot id when the clip was begun: a file from an
-- earlier boot may have lost what was not fsynced (a power cut), so it is trusted only as far as plaintext_bytes.

ALTER TABLE clips ADD COLUMN pending_fragments TEXT;
ALTER TABLE clips ADD COLUMN final_plaintext INTEGER CHECK (final_plaintext IS NULL OR final_plaintext >= 0);
ALTER TABLE clips ADD COLUMN boot_id TEXT;
