/**
 * Datasets and file formats: download and verified cache, MNIST, BreastMNIST, German Credit, Taiwan credit, NEU; CSV, NPY/NPZ, PNG, ZIP; splits and encoders.
 *
 * The public names of src/data/, listed one by one: what is not here is internal to the library.
 */
export { BREASTMNIST_CLASSES, loadBreastMnist } from './breastmnist';
export type { BreastMnistData, BreastMnistOptions } from './breastmnist';
export { CREDIT_MONTH_FEATURES, CREDIT_SEQUENCE_MONTHS, CREDIT_STATIC_COLUMNS, fitCreditSequenceEncoder, rawMonthFeatures } from './credit-sequences';
export type { CreditMonth, CreditSequenceEncoder, CreditSequenceOptions } from './credit-sequences';
export { csvNumberColumns, parseCsvStrict } from './csv';
export type { CsvOptions, CsvTable } from './csv';
export { datasetStatus, datasetStatusTable } from './dataset-status';
export type { DatasetLocation, DatasetStatus } from './dataset-status';
export { colsOf, denseMatrix, matrixShape, rowsOf, sizeOf } from './dense';
export type { Dense } from './dense';
export { dataCacheDir, dataMirror, DatasetError, downloadDataFile, ensureDataset, hashDataFile, matchChecksum, redirectTarget, verifyDataFile } from './download';
export type { DatasetAttempt, DatasetErrorCode, DatasetFiles, Deadline, EnsureOptions, FileDigest } from './download';
export { GERMAN_CREDIT_AGE_GROUPS, GERMAN_CREDIT_COLUMNS, GERMAN_CREDIT_SEX_GROUPS, germanCreditAgeGroup, germanCreditRows, germanCreditSexGroup, loadGermanCredit, loadGermanCreditNumeric, parseGermanCreditData, parseGermanCreditDoc, parseGermanCreditNumeric } from './german-credit';
export type { GermanCreditAttribute, GermanCreditColumns, GermanCreditData, GermanCreditNumeric, GermanCreditOptions } from './german-credit';
export { stratifiedFoldAssignment, stratifiedKFold } from './kfold';
export type { Fold } from './kfold';
export { lazyDanfo } from './lazy-danfo';
export { DATASET_NAMES, datasetFiles, findCourseRoot, getDatasetSpec, loadDataManifest, parseFileListTsv } from './manifest';
export type { AcceptedChecksum, DataManifest, DatasetFile, DatasetName, DatasetSource, DatasetSpec, ManifestFile } from './manifest';
export { labelledImageSplit, loadMnist, MNIST_CLASSES, MNIST_IMAGES_MAGIC, parseIdx, readMnistIdx } from './mnist';
export type { LabelledImageSplit, MnistData, MnistOptions } from './mnist';
export { decodeGrayJpeg, loadNeu, NEU_CLASSES, neuClassOf, parseVocAnnotation } from './neu';
export type { NeuBox, NeuData, NeuOptions, VocAnnotation } from './neu';
export { encodeNpy, parseNpy, parseNpz, readNpz, writeNpz } from './npy';
export type { NpyArray, NpyData, NpyDtype, NpzArchive } from './npy';
export { crc32, encodePng, pngSize, showPng } from './png';
export type { PngChannels } from './png';
export { countPerClass, firstPerClassIndices, stratifiedHoldoutIndices, stratifiedSampleIndices } from './sample-indices';
export { fitTabularEncoder } from './tabular-encoder';
export type { TabularEncoder, TabularEncoderSpec, TabularRow } from './tabular-encoder';
export { loadTaiwanCredit, parseTaiwanCreditCsv, TAIWAN_CREDIT_TARGET, taiwanCreditRows } from './taiwan-credit';
export type { TaiwanCreditData, TaiwanCreditOptions } from './taiwan-credit';
export { readZip, readZipFile, writeZip, zipCrc32 } from './zip';
export type { ZipArchive, ZipEntry, ZipInput } from './zip';
