// productlens-cli: the headless twin of the workbench. Wiring only: each
// subcommand parses its arguments and drives a core job.
#include <cstdio>
#include <cstring>
#include <string>

#include "cli/commands.h"

namespace pl::cli {

const std::vector<Command>& commands() {
  static const std::vector<Command> all = {
      {{"bench", "pretrain|neighbors|projection|images",
        "pretrain: times training steps on random token ids and prints tokens/s, ms/step and\n"
        "products/s (compare with bench/peer_mlm.py: same flags, same model in PyTorch eager).\n"
        "neighbors: exact and HNSW search on clustered synthetic vectors (or a run's embeddings):\n"
        "build time, queries/s and recall@10.\n"
        "projection: PCA, t-SNE or UMAP of the same synthetic vectors: seconds per stage and\n"
        "trustworthiness.\n"
        "images: pictures/s of decoding, fitting and augmenting --project's pictures.",
        {{"encoder", "E", "text-transformer (default) or text-bow"},
         {"layers", "L", "encoder blocks (default 2)"},
         {"dim", "D", "model width / vector size (default 128)"},
         {"heads", "H", "attention heads (default 4)"},
         {"seq", "S", "tokens per sequence (default 32)"},
         {"batch", "B", "sequences per step (default 64)"},
         {"vocab", "V", "vocabulary size (default 8000)"},
         {"mask-rate", "R", "share of positions masked for MLM (default 0.15)"},
         {"dropout", "P", "dropout (default 0.1)"},
         {"lr", "LR", "AdamW learning rate (default 1e-4)"},
         {"steps", "N", "timed steps (default 20)"},
         {"warmup", "W", "untimed steps first (default 3)"},
         {"threads", "T", "intra-op threads (default: one per hardware thread)"},
         {"seed", "S", "random seed (default 1)"},
         {"trace", "FILE", "write a Chrome trace of the timed steps' operators"},
         {"n", "N", "neighbors: indexed vectors (default 100000)"},
         {"queries", "Q", "neighbors: query vectors, not in the index (default 1000)"},
         {"clusters", "C", "neighbors: Gaussian clusters of the synthetic data (default 1000)"},
         {"k", "K", "neighbors: neighbours per query (default 10)"},
         {"m", "M", "neighbors: HNSW graph degree (default 16)"},
         {"ef-construction", "EF", "neighbors: HNSW build beam (default 200)"},
         {"ef-search", "EF", "neighbors: HNSW query beam (default 64)"},
         {"exact-only", "", "neighbors: time the exact engine only (no HNSW build)"},
         {"project", "P.plens", "neighbors: search this project's run instead of synthetic data;\n"
                                "images: the project whose pictures are timed"},
         {"size", "S", "images: pictures fitted to S x S (default 32)"},
         {"channels", "C", "images: 1 or 3 (default 3)"},
         {"count", "N", "images: pictures timed (default 2000)"},
         {"run", "NAME", "neighbors: the embedded run of --project"},
         {"method", "pca|tsne|umap", "projection: the method (default tsne)"},
         {"json", "", "machine-readable output"}},
        1, 1},
       runBench},
      {{"demo", "P.plens",
        "Creates (or adds to) a project with the built-in Fashion-MNIST demo catalog: 70,000\n"
        "article images with their class as category (Debian package dataset-fashion-mnist).",
        {{"data-dir", "DIR", "where the Fashion-MNIST IDX files are"},
         {"quiet", "", "no progress output"}},
        1, 1},
       runDemo},
      {{"import", "P.plens [CATALOG]",
        "Imports a product catalog (CSV, TSV or JSON Lines) and optionally a baskets file\n"
        "into the project (created if missing). One transaction: on failure or Ctrl-C the\n"
        "project is unchanged. Bad rows are skipped and reported unless --strict.",
        {{"map", "FIELD=COL[>COL..]", "map product fields to columns; repeatable, comma-separated",
          true},
         {"format", "csv|tsv|jsonl", "file format (default: from the extension)"},
         {"images-root", "DIR", "resolve image paths here (default: the catalog's folder)"},
         {"allow-outside-images-root", "", "read pictures whose path leaves the images root (..,\n"
                                           "absolute paths, links); default: counted as missing"},
         {"name", "NAME", "catalog name (default: the file name)"},
         {"baskets", "FILE", "co-purchase file: one line per order item"},
         {"basket-order", "COL", "order column of the baskets file (default: guessed)"},
         {"basket-item", "COL", "product id column of the baskets file (default: guessed)"},
         {"strict", "", "fail on the first bad row instead of skipping it"},
         {"json", "", "print the import report as JSON on stdout"},
         {"quiet", "", "no progress output"}},
        1, 2},
       runImport},
      {{"info", "P.plens",
        "Prints the project's counts: products, with image, with each field, categories,\n"
        "baskets and the bad rows of each import.",
        {{"json", "", "machine-readable output"}, {"issues", "N", "list the first N bad rows (default 20)"}},
        1, 1},
       runInfo},
      {{"pretrain", "P.plens --run NAME [options]",
        "Trains a self-supervised run (tokenizer, encoder, objectives) on the project's\n"
        "products; checkpoints beside the project; Ctrl-C stops after saving a checkpoint.",
        pretrainOptions(), 1, 1},
       runPretrain},
      {{"embed", "P.plens --run NAME",
        "Computes and stores the L2-normalised vector of every product with the run's model.",
        {{"run", "NAME", "the trained run"}, {"quiet", "", "no progress output"}},
        1, 1},
       runEmbed},
      {{"export", "P.plens --run NAME --format npy|csv|tsv|projector|sqlite|model|recommendations --out PATH",
        "Writes the run's embeddings. npy: DIR/embeddings.npy (float32, N x D) and ids.txt;\n"
        "csv / tsv: one row per product (id, metadata, e0..eD-1); projector: TensorBoard's\n"
        "Embedding Projector bundle in DIR (tensors.tsv, metadata.tsv, sprite.png of the product\n"
        "pictures, projector_config.pbtxt); sqlite: a database file with table `embeddings`\n"
        "(id, metadata, dim, vector as little-endian float32); model: DIR/model.safetensors,\n"
        "config.json, tokenizer.model and examples.jsonl (docs/model_format.md);\n"
        "recommendations: a CSV of every product's `recommend` list (product_id, rank,\n"
        "recommended_id, reason, score; --run optional, as for `recommend`). Files are replaced\n"
        "atomically.",
        {{"run", "NAME", "the embedded run"},
         {"format", "F", "npy (default), csv, tsv, projector, sqlite, model or recommendations"},
         {"out", "PATH", "output folder (npy, projector; created if missing) or file"},
         {"metadata", "F1,F2", "fields written beside each vector (default title,category)"},
         {"thumbnail", "PX", "projector: sprite tile size (default 32; less for big catalogs)"},
         {"k", "K", "recommendations: items per product (default 10)"},
         {"quiet", "", "no progress output"}},
        1, 1},
       runExport},
      {{"report", "P.plens --run NAME --out FILE.html [--pdf FILE.pdf]",
        "Writes the run's report: one self-contained HTML page with its config, loss curves,\n"
        "evaluation scores, label-efficiency chart and 2D map (attach it to a paper or a ticket).\n"
        "--pdf also prints it to PDF with Qt's printer, through the workbench (productlens)\n"
        "installed beside this program; no display is needed.",
        {{"run", "NAME", "the run"}, {"out", "FILE", "the HTML file to write"},
         {"pdf", "FILE", "also write the report as PDF"}},
        1, 1},
       runReport},
      {{"import-model", "P.plens --from DIR --name NAME",
        "Applies a trained model to this project: the folder `export --format model` wrote\n"
        "becomes run NAME (config, tokenizer, weights as its checkpoint), ready for embed,\n"
        "neighbors, finetune. Models with attribute inputs are refused (their vocabularies\n"
        "belong to the source catalog).",
        {{"from", "DIR", "the exported model folder"}, {"name", "NAME", "the new run"}},
        1, 1},
       runImportModel},
      {{"neighbors", "P.plens --run NAME (--product ID | --query TEXT) [--k K]",
        "Lists the products most similar to a product, or to a free-text query encoded by the\n"
        "run's model, by cosine similarity of the stored embeddings.",
        {{"run", "NAME", "the embedded run"},
         {"product", "ID", "the catalog id of the query product"},
         {"query", "TEXT", "free text, embedded like a product title"},
         {"k", "K", "neighbours to list (default 10)"},
         {"method", "auto|exact|hnsw", "search engine (default auto: exact below 200k products)"},
         {"json", "", "machine-readable output"},
         {"quiet", "", "no progress output"}},
        1, 1},
       runNeighbors},
      {{"recommend", "P.plens --product ID [--run NAME] [--k K] [--json]",
        "Lists what to show beside a product: the products bought together with it (most shared\n"
        "baskets first), then, with --run, its nearest products by the run's vectors (what a\n"
        "product without purchases has), then the most bought; each with its reason.",
        recommendOptions(), 1, 1},
       runRecommend},
      {{"project", "P.plens --run NAME --method pca|tsne|umap",
        "Computes a 2D map of the run's embeddings and stores it in the project.",
        {{"run", "NAME", "the embedded run"},
         {"method", "pca|tsne|umap", "projection method (default pca)"},
         {"perplexity", "P", "t-SNE perplexity (default 30)"},
         {"learning-rate", "LR", "t-SNE learning rate (default: automatic from N)"},
         {"iterations", "N", "t-SNE iterations (default 750)"},
         {"n-neighbors", "K", "UMAP neighbours (default 15)"},
         {"min-dist", "D", "UMAP minimum distance (default 0.1)"},
         {"epochs", "N", "UMAP epochs (default: 500 below 10k points, 200 above)"},
         {"neighbors", "auto|exact|hnsw", "kNN engine for t-SNE and UMAP (default auto)"},
         {"seed", "S", "random seed (default 42)"},
         {"threads", "T", "threads (default: one per hardware thread)"},
         {"out", "FILE", "also write the coordinates as CSV (id,x,y)"},
         {"json", "", "machine-readable output"},
         {"quiet", "", "no progress output"}},
        1, 1},
       runProject},
      {{"eval", "P.plens --label FIELD [--run NAME] [--baseline tfidf,lsa]",
        "Scores how well products group by a label they were not trained on: leave-one-out\n"
        "k-NN label accuracy and precision@k of the run's embeddings and of the TF-IDF / LSA\n"
        "baselines on the same products. Refuses a label the run used as an input.",
        {{"label", "FIELD", "category (the whole path A > B > C), a level (category:N, or the mapped\n"
                            "column, e.g. articleType), brand, or an attribute column; `eval P.plens`\n"
                            "without --label lists the labels the project offers"},
         {"run", "NAME", "the embedded run to score"},
         {"baseline", "tfidf,lsa,pixels", "baselines to score too (default: none with --run, else tfidf;\n"
                                           "pixels: a probe on the raw pictures)"},
         {"pictured-only", "", "k-NN over the products that have a picture only (not stored)"},
         {"k", "K", "neighbours (default 10)"},
         {"probe", "F,F,..", "instead: linear probes trained on these fractions of the labelled\n"
                             "training products, scored on the label's fixed test split"},
         {"json", "", "machine-readable output"},
         {"quiet", "", "no progress output"}},
        1, 1},
       runEval},
      {{"finetune", "P.plens --label FIELD (--run BASE | --scratch) [options]",
        "Trains a classifier for a label on a labelled subset: a linear head on the product\n"
        "vector with the encoder frozen (--mode probe) or trained with it (--mode full, lower\n"
        "learning rate for a pretrained encoder), from a pretrained run or from random\n"
        "initialisation. Early stopping on a validation slice; scored on the label's fixed test\n"
        "split. The result is a run (embed, explore, export it) and a classifier for `predict`.",
        finetuneOptions(), 1, 1},
       runFinetune},
      {{"predict", "P.plens --run FINETUNED [--unlabelled-only] [--out FILE.csv]",
        "Labels the products with a fine-tuned run's classifier and stores the predictions with\n"
        "their confidence (softmax probability) in the project; --out also writes them as CSV.",
        {{"run", "NAME", "the fine-tuned run"},
         {"unlabelled-only", "", "only products that have no value of the run's label"},
         {"out", "FILE", "write id,title,predicted_label,confidence as CSV"},
         {"quiet", "", "no progress output"}},
        1, 1},
       runPredict},
      {{"efficiency", "P.plens --label FIELD --run BASE [--fractions 0.01,0.1,1]",
        "The label-efficiency table: test accuracy and macro-F1 against the share of labelled\n"
        "products, for pretrained+probe, pretrained+full, scratch+full and TF-IDF + logistic\n"
        "regression, on the label's fixed test split. Every point is stored in the project; the\n"
        "fine-tuning runs are named <run>-ft-full-<label>-<N>pct and scratch-full-<label>-<N>pct\n"
        "and replace the runs of those names from an earlier call.",
        efficiencyOptions(), 1, 1},
       runEfficiency},
      {{"baskets", "P.plens [--run NAME] [--baseline tfidf,popularity,cooccurrence]",
        "Co-purchase retrieval on the project's fixed held-out baskets (never trained on): each\n"
        "item queries the catalog; Recall@k and NDCG@k of its basket's other items. Stored.",
        basketsOptions(), 1, 1},
       runBaskets},
      {{"finetune-retrieval", "P.plens --run BASE --name NEW [--epochs N] [--lr LR]",
        "Fine-tunes a pretrained run on co-purchased pairs of the training baskets (InfoNCE,\n"
        "early stopping on validation baskets), then embeds it for `baskets --run NEW`.",
        finetuneRetrievalOptions(), 1, 1},
       runFinetuneRetrieval},
      {{"version", "", "Prints the ProductLens version and the LibTorch runtime (threads, BLAS).",
        {}, 0, 0},
       runVersion},
  };
  return all;
}

int fail(const std::string& message, int code) {
  std::fprintf(stderr, "error: %s\n", message.c_str());
  return code;
}

}  // namespace pl::cli

namespace {

void printOverview() {
  std::printf(
      "productlens-cli %s — learn and use product embeddings, headless\n\n"
      "usage: productlens-cli COMMAND [ARGS] (productlens-cli COMMAND --help for details)\n\n"
      "commands:\n",
      PL_VERSION);
  for (const auto& c : pl::cli::commands()) {
    std::string first = c.spec.summary.substr(0, c.spec.summary.find('\n'));
    std::printf("  %-10s %s\n", c.spec.name.c_str(), first.c_str());
  }
}

}  // namespace

int main(int argc, char** argv) {
  using namespace pl::cli;
  if (argc < 2 || !std::strcmp(argv[1], "--help") || !std::strcmp(argv[1], "-h") ||
      !std::strcmp(argv[1], "help")) {
    printOverview();
    return argc < 2 ? kExitUsage : kExitOk;
  }
  if (!std::strcmp(argv[1], "--version")) return runVersion({});
  for (const auto& c : commands()) {
    if (c.spec.name != argv[1]) continue;
    ParsedArgs args = parseArgs(c.spec, argc, argv, 2);
    if (args.help) {
      std::printf("%s", c.spec.helpText().c_str());
      return kExitOk;
    }
    if (!args.error.empty()) {
      std::fprintf(stderr, "error: %s\n\n%s", args.error.c_str(), c.spec.helpText().c_str());
      return kExitUsage;
    }
    return c.run(args);
  }
  std::fprintf(stderr, "error: unknown command '%s' (see productlens-cli --help)\n", argv[1]);
  return kExitUsage;
}
