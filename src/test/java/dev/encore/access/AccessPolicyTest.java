package dev.encore.access;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** When sign-in is required: as soon as a server listens beyond loopback. */
class AccessPolicyTest {

    @Test
    void onLoopbackEncoreStaysOpenForTheLocalUser() {
        assertThat(AccessPolicy.decide("auto", "127.0.0.1", "127.0.0.1").required()).isFalse();
        assertThat(AccessPolicy.decide("auto", "localhost", "::1").required()).isFalse();
        assertThat(AccessPolicy.decide("auto", "127.0.0.1", "127.0.0.1").why()).contains("loopback");
    }

    @Test
    void beyondLoopbackSignInIsRequiredWhicheverServerItIs() {
        assertThat(AccessPolicy.decide("auto", "0.0.0.0", "127.0.0.1").required()).isTrue();
        assertThat(AccessPolicy.decide("auto", "127.0.0.1", "0.0.0.0").required()).isTrue();
        assertThat(AccessPolicy.decide("auto", "192.168.1.20", "127.0.0.1").why()).contains("192.168.1.20");
        // a name is never taken for loopback: it could resolve to anything
        assertThat(AccessPolicy.decide("auto", "encore.internal", "127.0.0.1").required()).isTrue();
    }

    @Test
    void signInCanBeRequiredOnLoopbackButNotSwitchedOffBeyondIt() {
        assertThat(AccessPolicy.decide("true", "127.0.0.1", "127.0.0.1").required()).isTrue();
        assertThat(AccessPolicy.decide("false", "127.0.0.1", "127.0.0.1").required()).isFalse();
        assertThatThrownBy(() -> AccessPolicy.decide("false", "0.0.0.0", "127.0.0.1"))
                .hasMessageContaining("allowed on loopback only").hasMessageContaining("0.0.0.0");
        assertThatThrownBy(() -> AccessPolicy.decide("maybe", "127.0.0.1", "127.0.0.1"))
                .hasMessageContaining("auto, true or false");
    }
}
