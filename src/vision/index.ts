/**
 * Images: grids, resizing, augmentation, test-time augmentation, drawing boxes.
 *
 * The public names of src/vision/, listed one by one: what is not here is internal to the library.
 */
export { BOX_COLOR, boxedImagesPng, boxPixelBounds, drawBoxOutline, grayToRgb, scaleBoxes, showBoxedImages } from './draw-boxes';
export type { BoxedImagesOptions, PixelBox } from './draw-boxes';
export { CAPTION_GREEN, CAPTION_RED, captionWidth, colormapRgb, featureMapsToImages, filtersToImages, imageGridPng, showImageGrid, toImageStack } from './image-grid';
export type { CaptionPart, Colormap, ImageGridOptions, RgbColor } from './image-grid';
export { nearestImages } from './nearest-images';
export type { NearestImages } from './nearest-images';
export { resizeImageBatch, resizePixels, resizePixelsArea, resizePixelsBilinear } from './image-resize';
export type { ResizeMethod } from './image-resize';
export { cropResizeBoxes, randomZoomFlip, zoomFlipBoxes } from './random-zoom-flip';
export type { ZoomFlipOptions } from './random-zoom-flip';
export { dihedralTransform, flipHorizontal, flipVertical, randomSymmetries, rotate90, textureAugment } from './texture-augment';
export type { TextureAugmentOptions } from './texture-augment';
export { DIHEDRAL_VIEWS, MIRROR_VIEWS, mirrorTtaModel, predictTta, ttaAccuracy, ttaScoreFunction, ttaScores } from './tta';
export type { ImageView } from './tta';
