// The copy engine's parts and the state they share: setup.cpp (connections, preflight,
// topic creation, the producer), copier.cpp (run: the order of the steps, resume and
// group placement applied, results), copy_loop.cpp (reading, producing, delivery reports,
// commits and rewinds). The decisions are copy_state.hpp's; the transactional calls
// transaction.hpp's. Private to ck-copy.
#pragma once

#include <librdkafka/rdkafka.h>

#include <chrono>
#include <deque>
#include <map>
#include <memory>
#include <optional>
#include <ostream>
#include <set>
#include <string>
#include <vector>

#include "common_options.hpp"
#include "copy_state.hpp"
#include "follow.hpp"
#include "kafka.hpp"
#include "offset_index.hpp"
#include "options.hpp"
#include "partition_reader.hpp"
#include "preflight.hpp"
#include "progress_line.hpp"
#include "rate_limit.hpp"
#include "rdkafka_ptr.hpp"
#include "transaction.hpp"
#include "txn_limits.hpp"

namespace ck::copy {

using Clock = std::chrono::steady_clock;

/// One partition of the copy: its record, what it achieved (now and at the last commit)
/// and what the open transaction holds of it.
struct Partition {
  Record* record = nullptr;
  TopicPartition tp;
  rd_kafka_topic_t* rkt = nullptr;  ///< producer topic handle
  Snapshot cur, committed;
  std::vector<GroupOffset> to_commit;  ///< placed in the open transaction
  std::vector<GroupOffset> from_index; ///< placed through the index, for the next commit
  OffsetIndex index;                   ///< what the job copied, as far as committed
  OffsetIndex txn_runs;                ///< what the open transaction copied
  bool index_complete = false;         ///< `index` holds everything the job copied
  std::deque<int64_t> in_flight;       ///< source offsets awaiting delivery, in order
  int64_t in_flight_bytes = 0;         ///< their key and value bytes
  int64_t produced_next = -1;          ///< source offset after the last one produced
  int64_t target_base = -1;            ///< target end offset before anything of ours
  uint64_t txn_seq = 0;                ///< the last transaction it was written in
  bool touched = false;                ///< changed in the open transaction
  bool claimed = false;                ///< has a progress entry in the target
  bool beyond_warned = false;
  bool retention_checked = false;
  std::string error;
  int64_t eof_offset = -1;
  StallWatch stall;
  LagClock lag;                        ///< follow mode: how far behind the source's end
  std::vector<std::pair<std::string, std::string>> groups_left;

  bool failed() const { return cur.stage == Stage::kFailed; }
  bool reported() const { return cur.stage == Stage::kReported; }
  /// Still reading: neither complete, failed nor reported.
  bool reading() const { return cur.stage == Stage::kReading; }
  /// Follow mode: the reader stands at the source's end with nothing newer produced.
  bool at_end() const { return eof_offset >= 0 && eof_offset >= produced_next; }
  /// Follow mode: the source offset up to which the target holds everything.
  int64_t position() const { return follow_position(committed.next, produced_next, eof_offset); }
};

class Copier {
 public:
  Copier(const CopyOptions& options, const CommonOptions& common, std::ostream& out);
  ~Copier();
  int run(PlanInput input);

 private:
  // setup.cpp
  bool connect();
  int preflight(PlanInput& input);
  bool gather_source_facts(SourceFacts* facts);
  int check_and_prepare_target();
  bool create_missing_topics(const std::vector<NewTopic>& topics);
  bool create_producer();
  void open_topic_handles();
  bool wait_for_created(const std::vector<NewTopic>& created, int64_t ready_before,
                        int64_t total);
  bool init_producer();
  bool load_progress(bool stable);
  bool load_target_groups();
  bool read_job_state(std::map<TopicPartition, int64_t>* starts,
                      std::map<TopicPartition, int64_t>* ends);
  bool read_target_offsets(const std::vector<TopicPartition>& tps,
                           std::map<TopicPartition, int64_t>* starts,
                           std::map<TopicPartition, int64_t>* ends);
  void prepare_partitions();
  void add_partition(Record& r);
  bool skipped_but_ours(const Record& r) const;
  void join_skipped_partitions();
  int dry_run();
  void dry_run_record(Record& r, const std::map<TopicPartition, int64_t>& ends,
                      bool* later_groups);

  // copier_index.cpp
  bool prepare_index();
  bool write_index();
  void index_committed(Partition& p);
  void report_range(const Partition& p, Record* r) const;

  // copier.cpp
  int resume_partitions(std::map<TopicPartition, int64_t> starts,
                        std::map<TopicPartition, int64_t> ends);
  void place_partition_groups();
  void emit(Partition& p, const std::string& status);
  void emit_record(Record r);
  void emit_unread_records();
  void emit_followed(Partition& p);
  void skip_groups_in_follow_mode();
  void fail_invalid(size_t i, Record* r);
  int finish(int code);
  void timeline(const char* what) const;

  // copy_loop.cpp
  int copy_loop();
  bool read_batch(rd_kafka_message_t** batch, size_t max);
  void assign_pending();
  void handle(rd_kafka_message_t* m);
  void produce(Partition& p, rd_kafka_message_t* m);
  void warn_retention(Partition& p, rd_kafka_message_t* m);
  void mark_done(Partition& p);
  void fail_partition(Partition& p, const std::string& error);
  void check_stalls();
  bool txn_due() const;
  void observe_target();
  bool dirty() const;
  bool backlogged() const;
  bool all_reported() const;
  bool all_settled() const;
  bool all_at_end() const;
  bool throttled();
  bool follow_done();
  void observe_lag();
  TxnResult commit();
  TxnResult commit_within_deadline();
  TxnResult wait_for_deliveries();
  void after_commit();
  TxnResult abort_and_rewind(std::string why);
  TxnResult commit_and_continue(bool* rewound);
  bool begin();
  Partition* lookup(rd_kafka_topic_t* rkt, int32_t partition);
  static void on_delivery(rd_kafka_t* rk, const rd_kafka_message_t* m, void* opaque);
  void delivered(const rd_kafka_message_t* m);
  bool stopping() const { return stop_error().has_value(); }
  const std::optional<StopError>& stop_error() const;
  void stop(StopError::Kind kind, std::string message);

  const CopyOptions& o_;
  const CommonOptions& common_;
  std::ostream& out_;
  ProgressReporter reporter_;
  Totals totals_;

  std::vector<Record> records_;
  std::vector<Invalid> invalid_;
  std::set<size_t> invalid_index_;
  std::map<TopicPartition, std::unique_ptr<Partition>> partitions_;
  std::map<std::string, TopicPtr> topic_handles_;
  PartitionIndex<Partition*> index_;

  std::unique_ptr<KafkaClient> consumer_, target_admin_, producer_;
  std::unique_ptr<PartitionReader> reader_;
  std::unique_ptr<Transaction> txn_;
  SourceFacts source_;
  std::map<std::string, std::map<std::string, std::string>> source_configs_, target_configs_;
  std::map<TopicPartition, CommittedOffset> progress_;
  std::map<std::string, std::vector<CommittedOffset>> target_group_offsets_;
  GroupActivities target_activity_;  // of the plan's groups in the target
  std::set<std::string> retention_warned_;

  int64_t txn_messages_ = 0, txn_bytes_ = 0;
  std::set<std::string> txn_groups_;  // groups placed in the open transaction (kTxnGroups)
  int64_t txn_partitions_ = 0;        // partitions written in the open transaction
  uint64_t txn_seq_ = 0;              // the open transaction's number (Partition::txn_seq)
  RateLimit throttle_;
  int64_t produced_bytes_ = 0;  // key and value bytes handed to the producer, for throttle_
  Clock::time_point lag_observed_;
  bool within_lag_ = false;     // follow mode: every partition within --until-lag
  TxnLimits txn_limits_{o_.txn_messages, o_.txn_bytes, o_.txn_ms};  // scale_txn_limits
  Clock::time_point txn_started_ = Clock::now();
  Clock::time_point batch_read_at_ = Clock::now();  // when the batch being handled arrived
  // The time spent waiting for the source with nothing prefetched left: a partition is
  // stalled after --timeout of it without news. Time spent on a backlog of prefetched
  // messages or in commits is not the source's: at 10,000 partitions the commits of the
  // first thousands outlasted --timeout while the last ones' messages waited in the queue.
  Clock::time_point source_clock_ = Clock::now();
  const Clock::time_point started_ = Clock::now();
  bool first_data_seen_ = false;
  bool need_abort_ = false;
  // The target took nothing for --timeout (a full queue or unconfirmed deliveries): aborting
  // would wait another --timeout for the same silent broker, so the run gives up at once and
  // the next run's init_transactions aborts the open transaction.
  bool target_silent_ = false;
  bool discarding_ = false;
  int64_t batch_bytes_ = 0;     // the producer's batch.size (init_producer)
  int64_t batch_messages_ = 0;  // and batch.num.messages
  int consecutive_aborts_ = 0;
  std::optional<StopError> stop_;  // before the transaction exists (the source stalled)
  bool any_failed_ = false;
  int32_t index_partitions_ = 0;  // of the offset index topic
};

}  // namespace ck::copy
