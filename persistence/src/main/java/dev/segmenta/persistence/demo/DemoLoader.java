package dev.segmenta.persistence.demo;

import dev.segmenta.core.model.Channel;
import dev.segmenta.core.model.MessageType;
import dev.segmenta.persistence.channels.ChannelService;
import dev.segmenta.persistence.ingest.BulkResult;
import dev.segmenta.persistence.ingest.EventInput;
import dev.segmenta.persistence.ingest.Identity;
import dev.segmenta.persistence.ingest.IngestionService;
import dev.segmenta.persistence.ingest.ListMembers;
import dev.segmenta.persistence.ingest.SubscriptionUpdate;
import dev.segmenta.persistence.ingest.UserUpdate;
import dev.segmenta.persistence.lists.ListService;
import dev.segmenta.persistence.lists.ListSummary;
import io.agroal.api.AgroalDataSource;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Loads {@link DemoData} through the same services the APIs use (IngestionService, ListService, ListMembers), in batches,
 * so the catalog, rollups and change notifications are exactly what real traffic would produce.
 */
@ApplicationScoped
public class DemoLoader {
    public static final String NEWSLETTER = "Newsletter";
    public static final String PRODUCT_UPDATES = "Product updates";
    private static final Logger LOG = Logger.getLogger(DemoLoader.class);
    private static final int USER_BATCH = 1000;
    private static final int EVENT_BATCH = 5000;

    /** What a load wrote. {@code rejected} counts items the services refused (e.g. a field already typed otherwise). */
    public record Loaded(int users, int events, Map<String, Integer> listMembers, int subscriptionChanges, int rejected, Duration took) {}

    private final IngestionService ingestion;
    private final ListService lists;
    private final ListMembers listMembers;
    private final ChannelService channels;
    private final AgroalDataSource dataSource;
    private final Clock clock;

    public DemoLoader(IngestionService ingestion, ListService lists, ListMembers listMembers, ChannelService channels, AgroalDataSource dataSource,
            Clock clock) {
        this.ingestion = ingestion;
        this.lists = lists;
        this.listMembers = listMembers;
        this.channels = channels;
        this.dataSource = dataSource;
        this.clock = clock;
    }

    public boolean databaseHasUsers() {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement("SELECT EXISTS (SELECT 1 FROM users)");
                ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getBoolean(1);
        } catch (SQLException e) {
            throw new IllegalStateException("could not count users", e);
        }
    }

    /** Loads {@code userCount} demo users with the default seed, relative to the clock's now. */
    public Loaded load(int userCount) {
        return load(userCount, new DemoData(DemoData.DEFAULT_SEED, clock.instant()));
    }

    public Loaded load(int userCount, DemoData data) {
        long started = System.nanoTime();
        Map<String, Long> listIds = new LinkedHashMap<>();
        for (String name : DemoData.LISTS) {
            listIds.put(name, listId(name));
        }
        Map<String, List<Identity>> members = new LinkedHashMap<>();
        DemoData.LISTS.forEach(name -> members.put(name, new ArrayList<>()));
        Map<String, Integer> memberCounts = new LinkedHashMap<>();
        DemoData.LISTS.forEach(name -> memberCounts.put(name, 0));
        long emailChannel = channels.channels().stream().filter(ch -> ch.name().equalsIgnoreCase("Email")).map(Channel::id).findFirst()
                .orElseThrow(() -> new IllegalStateException("the Email channel is missing"));
        long newsletter = messageType(NEWSLETTER, emailChannel, MessageType.SubscriptionPolicy.OPT_IN);
        long productUpdates = messageType(PRODUCT_UPDATES, emailChannel, MessageType.SubscriptionPolicy.OPT_OUT);

        int users = 0;
        int events = 0;
        int subscriptionChanges = 0;
        int rejected = 0;
        for (int from = 0; from < userCount; from += USER_BATCH) {
            List<UserUpdate> profiles = new ArrayList<>();
            List<EventInput> batchEvents = new ArrayList<>();
            Map<Identity, SubscriptionUpdate> subscriptions = new LinkedHashMap<>();
            for (int i = from; i < Math.min(userCount, from + USER_BATCH); i++) {
                DemoData.DemoUser user = data.user(i);
                profiles.add(user.profile());
                batchEvents.addAll(user.events());
                user.lists().forEach(name -> members.get(name).add(user.identity()));
                if (user.emailUnsubscribed() || user.newsletterSubscriber() || user.productUpdatesOptOut()) {
                    subscriptions.put(user.identity(), new SubscriptionUpdate(null,
                            user.emailUnsubscribed() ? List.of(emailChannel) : null,
                            user.productUpdatesOptOut() ? List.of(productUpdates) : null,
                            user.newsletterSubscriber() ? List.of(newsletter) : null));
                }
            }
            BulkResult written = ingestion.updateUsers(profiles, List.of());
            users += written.successCount();
            rejected += report(written);
            for (int e = 0; e < batchEvents.size(); e += EVENT_BATCH) {
                BulkResult tracked = ingestion.trackEvents(batchEvents.subList(e, Math.min(batchEvents.size(), e + EVENT_BATCH)), List.of());
                events += tracked.successCount();
                rejected += report(tracked);
            }
            // One transaction for the batch's subscription changes rather than one per user.
            QuarkusTransaction.requiringNew().run(() -> subscriptions.forEach(ingestion::updateSubscriptions));
            subscriptionChanges += subscriptions.size();
            for (Map.Entry<String, List<Identity>> list : members.entrySet()) {
                if (!list.getValue().isEmpty()) {
                    memberCounts.merge(list.getKey(), listMembers.subscribe(listIds.get(list.getKey()), list.getValue(), true).successCount(), Integer::sum);
                    list.getValue().clear();
                }
            }
        }
        return new Loaded(users, events, memberCounts, subscriptionChanges, rejected, Duration.ofNanos(System.nanoTime() - started));
    }

    private long listId(String name) {
        Optional<ListSummary> existing = lists.staticLists().stream().filter(l -> l.name().equals(name)).findFirst();
        return existing.isPresent() ? existing.get().id() : lists.create(name, "Demo data");
    }

    private long messageType(String name, long channelId, MessageType.SubscriptionPolicy policy) {
        Optional<MessageType> existing = channels.messageTypes().stream().filter(m -> m.name().equals(name)).findFirst();
        return existing.isPresent() ? existing.get().id() : channels.createMessageType(name, channelId, policy).id();
    }

    private static int report(BulkResult result) {
        if (result.failCount() > 0) {
            LOG.warnf("demo data: %d items refused, e.g. %s", result.failCount(), result.failures().get(0).reason());
        }
        return result.failCount();
    }
}
