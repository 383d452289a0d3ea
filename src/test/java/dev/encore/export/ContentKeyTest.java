package dev.encore.export;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** The content hash is stored: however it is computed, it must stay FNV-1a of the normalised names. */
class ContentKeyTest {
    private static final long FNV_OFFSET = 0xcbf29ce484222325L;
    private static final long FNV_PRIME = 0x100000001b3L;

    @Test
    void theHashIsFnvOfTheTrimmedLowerCasedNamesWithThePlaceholdersEmpty() {
        String[] names = {"Daft Punk", "  One More Time\t", "UNKNOWN ARTIST", " Unknown Track ", "unknown artists",
            "Beyoncé", "İstanbul", "ΣΊΣΥΦΟΣ", "🎧 Lo-Fi", "", " ", "\u0000x\u001f", "Ünknown Artist", "A\u00A0B",
            "MIXED case ", "x".repeat(300)};
        for (String creator : names) {
            for (String title : names) {
                assertThat(ContentKey.hash(creator, title)).as("(%s, %s)", creator, title).isEqualTo(reference(creator, title));
            }
        }
        assertThat(ContentKey.hash(null, null)).isEqualTo(reference("", ""));
    }

    @Test
    void randomNamesHashAsTheDefinitionSays() {
        Random random = new Random(13);
        String alphabet = " \tAbCdEfZz019-_'.ÄéßİıΣς中🎵\u00A0";
        for (int n = 0; n < 20_000; n++) {
            String creator = randomName(random, alphabet);
            String title = randomName(random, alphabet);
            assertThat(ContentKey.hash(creator, title)).as("(%s, %s)", creator, title).isEqualTo(reference(creator, title));
        }
    }

    private static String randomName(Random random, String alphabet) {
        StringBuilder s = new StringBuilder();
        int length = random.nextInt(12);
        for (int i = 0; i < length; i++) {
            s.appendCodePoint(alphabet.codePointAt(alphabet.offsetByCodePoints(0, random.nextInt(alphabet.codePointCount(0, alphabet.length())))));
        }
        return s.toString();
    }

    /** The definition, written the plain way. */
    private static long reference(String creator, String title) {
        long h = FNV_OFFSET;
        for (char c : ContentKey.normalise(creator).toCharArray()) {
            h = (h ^ c) * FNV_PRIME;
        }
        h = (h ^ 0x1f) * FNV_PRIME;
        for (char c : ContentKey.normalise(title).toCharArray()) {
            h = (h ^ c) * FNV_PRIME;
        }
        return h;
    }
}
