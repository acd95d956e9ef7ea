// ck-copy's offset index (index_records.hpp): read back for the partitions whose groups
// or reported range need what earlier runs of the job copied, and written with every
// transaction, one record per partition it copied to, so it commits or aborts with the data.
#include "copier_engine.hpp"
#include "index_records.hpp"
#include "index_topic.hpp"
#include "log.hpp"
#include "strings.hpp"

namespace ck::copy {

bool Copier::prepare_index() {
  std::string err;
  // Without the topic (no right to create it, say) the copy goes on unindexed: only a
  // newer plan's groups inside what this run copies would then stay where they are.
  if (!ensure_index_topic(*target_admin_, o_.index_topic, o_.replication_factor,
                          common_.timeout_ms, &index_partitions_, &err)) {
    log::warn(cat(err, "; this run keeps no offset index"));
    index_partitions_ = 0;
    return true;
  }
  std::vector<TopicPartition> wanted;
  for (auto& [tp, p] : partitions_) {
    if (p->failed()) continue;
    if (p->cur.copied == 0) p->index_complete = true;  // all it will hold is this run's
    else if (needs_index(*p->record, p->cur)) wanted.push_back(tp);
  }
  if (wanted.empty()) return true;
  std::map<TopicPartition, OffsetIndex> loaded;
  if (!read_index(common_.target, o_.index_topic, o_.job, wanted, common_.timeout_ms, &loaded,
                  &err))
    return log::error(cat("reading the offset index ", o_.index_topic, ": ", err)), false;
  for (const auto& tp : wanted) {
    Partition& p = *partitions_[tp];
    OffsetIndex& index = loaded[tp];
    // Only an index of every message the job copied translates: one the job wrote from
    // its first run on.
    if (index.messages() == p.cur.copied && index.source_end() <= p.cur.next) {
      p.index = std::move(index);
      p.index_complete = true;
      continue;
    }
    log::warn(cat(p.record->location(), ": the offset index ", o_.index_topic, " holds ",
                  index.messages(), " of the ", p.cur.copied, " messages job ", o_.job,
                  " copied (by a ck-copy that kept none?): groups positioned in them are not "
                  "moved"));
  }
  return true;
}

// Produces the open transaction's index records: called once every delivery is confirmed,
// so the runs are complete; the commit sends them.
bool Copier::write_index() {
  if (index_partitions_ <= 0) return true;
  auto& rkt = topic_handles_[o_.index_topic];
  if (!rkt) rkt.reset(rd_kafka_topic_new(producer_->get(), o_.index_topic.c_str(), nullptr));
  for (auto& [tp, p] : partitions_) {
    if (p->txn_runs.empty()) continue;
    std::string key = index_key(o_.job, tp, p->txn_runs.runs().front().source);
    std::string value = encode_runs(p->txn_runs.runs());
    rd_kafka_resp_err_t e = rd_kafka_producev(
        producer_->get(), RD_KAFKA_V_RKT(rkt.get()),
        RD_KAFKA_V_PARTITION(index_partition(o_.job, tp, index_partitions_)),
        RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY), RD_KAFKA_V_KEY(key.data(), key.size()),
        RD_KAFKA_V_VALUE(value.data(), value.size()), RD_KAFKA_V_OPAQUE(nullptr), RD_KAFKA_V_END);
    if (e) {
      need_abort_ = true;
      txn_->set_abort_reason(cat(p->record->where(), ": producing its offset index record: ",
                                 rd_kafka_err2str(e)));
      return false;
    }
  }
  return true;
}

// The transaction landed: its runs join the partition's index.
void Copier::index_committed(Partition& p) {
  for (const auto& run : p.txn_runs.runs()) p.index.add(run);
  p.txn_runs = OffsetIndex();
  p.from_index.clear();
}

// A record starting after the job's first start reports its own range: what the job's
// runs copied of it, wherever in the target.
void Copier::report_range(const Partition& p, Record* r) const {
  if (!p.index_complete || r->start <= p.committed.job_start) return;
  std::optional<TargetRange> range = target_range_from(p.index, r->start);
  // Nothing of it copied: an empty range where its groups went, after the job's copy.
  int64_t end = p.committed.copied > 0 ? p.committed.target_end : p.target_base;
  r->copy.copied = range ? range->copied : 0;
  r->copy.target_start = range ? range->target_start : end;
  r->copy.target_end = range ? range->target_end : end;
}

}  // namespace ck::copy
