package dev.encore.connect;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

class ConnectSmokeTest {
    @Test
    void smoke() throws Exception {
        try (ConnectFixture f = ConnectFixture.on("h2")) {
            ConnectFixture.Browser b = new ConnectFixture.Browser();
            HttpResponse<String> r = b.get(f.baseUrl() + "/connect?user=erin");
            System.out.println(r.statusCode() + " " + r.headers().map() + " " + r.body());
            HttpResponse<String> end = b.follow(ConnectFixture.Browser.location(r));
            System.out.println(end.statusCode() + " " + end.headers().map() + " " + end.body());
            System.out.println(f.users());
            System.out.println(f.tokens().bearer("erin"));
            assertThat(end.statusCode()).isEqualTo(200);
        }
    }
}
